using LeadRouter.Worker.Cli;

return await LeadRouterCli.Create().Parse(args).InvokeAsync();
