using LeadRouter.Worker.Cli;

return await LeadRouterCli.RunAsync(args);
