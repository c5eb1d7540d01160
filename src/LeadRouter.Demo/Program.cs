using LeadRouter.Demo;

return await DemoCommand.Create().Parse(args).InvokeAsync();
