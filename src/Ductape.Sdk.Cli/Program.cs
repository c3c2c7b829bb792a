// ductape: session types as code (export, validate, plan, apply), token inspection, session keys, a local Ductape server.
return await Ductape.Sdk.Cli.CliApp.RunAsync(args);
