Console.WriteLine("leadrouter: the worker arrives with issue 5.");
return 0;
