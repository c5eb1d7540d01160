using LeadRouter.Demo;
using LeadRouter.Worker.Cli;

return await LeadRouterCli.RunAsync(args, DemoCommand.Create(), "leadrouter-demo");
