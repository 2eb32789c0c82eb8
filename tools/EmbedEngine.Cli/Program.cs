using EmbedEngine.Cli;

return EmbedApplication.Run(args, Console.Out, Console.Error);
