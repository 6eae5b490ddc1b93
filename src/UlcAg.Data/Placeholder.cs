namespace UlcAg.Data;
