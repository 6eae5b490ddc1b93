namespace UlcAg.Training;
