# syntax=docker/dockerfile:1
# The Salesforce emulator, for trying the stack without an org (compose profile "emulator").
# Its credentials are well-known test values: never expose it beyond the compose network.
#   docker build -f deploy/emulator.Dockerfile -t leadrouter-emulator .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/LeadRouter.Core/LeadRouter.Core.csproj src/LeadRouter.Core/
COPY src/LeadRouter.SalesforceEmulator/LeadRouter.SalesforceEmulator.csproj src/LeadRouter.SalesforceEmulator/
RUN dotnet restore src/LeadRouter.SalesforceEmulator/LeadRouter.SalesforceEmulator.csproj
COPY src/LeadRouter.Core/ src/LeadRouter.Core/
COPY src/LeadRouter.SalesforceEmulator/ src/LeadRouter.SalesforceEmulator/
RUN dotnet publish src/LeadRouter.SalesforceEmulator/LeadRouter.SalesforceEmulator.csproj \
      --configuration Release --no-restore --output /app -p:UseAppHost=false

# aspnet: the emulator is an ASP.NET Core app.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV DOTNET_NOLOGO=1
USER $APP_UID
# Listens on every interface inside its container; compose publishes it on 127.0.0.1 only.
ENTRYPOINT ["dotnet", "LeadRouter.SalesforceEmulator.dll", "--urls", "http://0.0.0.0:8484", "--allow-remote", "--generate", "small"]
