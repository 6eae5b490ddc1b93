// The helpers linked from the data tests keep their namespace.
global using UlcAg.Data.Tests;
