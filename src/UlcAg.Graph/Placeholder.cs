namespace UlcAg.Graph;
