namespace UlcAg.Runtime;
