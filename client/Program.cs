Console.WriteLine("de");
