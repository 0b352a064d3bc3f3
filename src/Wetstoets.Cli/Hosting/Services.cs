using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wetstoets.Features.Feedback;
using Wetstoets.Features.Municipalities;
using Wetstoets.Features.Panels;
using Wetstoets.Features.Reports;
using Wetstoets.Features.Reviews;
using Wetstoets.Features.Timers;
using Wetstoets.Hosting;
using Wetstoets.M365;
using Wetstoets.M365.Graph;
using Wetstoets.Mail;
using Wetstoets.Ports;
using Wetstoets.Publishing;
using Wetstoets.Reports;
using Wetstoets.Security;
using Wetstoets.Storage;
using Wetstoets.Storage.Locks;
using Wetstoets.Storage.Postgres;
using Wetstoets.Storage.Scheduling;
using Wetstoets.Workflows;
using Wetstoets.Workflows.Steps;

namespace Wetstoets.Cli.Hosting;

/// <summary>The composition root: every part of Wetstoets wired for one workspace.</summary>
public static class Services
{
    // Quartz logs through one static provider per process, while a process may build and dispose several
    // service providers (tools, tests): Quartz gets a logger factory of its own that lives as long as the process.
    private static readonly Lazy<ILoggerFactory> QuartzLogging = new(() =>
    {
        var factory = LoggerFactory.Create(l => ConfigureConsole(l, LogLevel.Warning));
        Quartz.Diagnostics.LogProvider.SetLogProvider(factory);
        return factory;
    });

    public static ServiceProvider Build(Workspace workspace, WorkspaceConfiguration configuration, LogLevel logLevel = LogLevel.Warning, TimeProvider? clock = null)
    {
        _ = QuartzLogging.Value;
        var services = new ServiceCollection();
        services.AddLogging(l => ConfigureConsole(l, logLevel));
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddSingleton(workspace);
        services.AddSingleton(configuration.Web);
        services.AddSingleton(configuration.Publishing);
        services.AddSingleton(configuration.M365);
        services.AddSingleton(Options.Create(configuration.Storage));
        services.AddSingleton(Options.Create(configuration.Worker));
        services.AddWetstoetsStorage(configuration.Storage, workspace);

        services.AddSingleton(new WorkflowCatalog(workspace.WorkflowFolders));
        services.AddSingleton(new TemplateRenderer(workspace.TemplateFolders));
        services.AddSingleton(new TokenService(WorkspaceKey.Load(workspace, configuration.TokenKey)));
        services.AddSingleton<InvitationMail>();
        if (configuration.M365.Mailbox is { Length: > 0 } mailbox)
        {
            services.AddSingleton(_ => GraphClients.Create(configuration.M365));
            services.AddSingleton<IMailSender>(sp => new GraphMailSender(sp.GetRequiredService<Microsoft.Graph.GraphServiceClient>(), mailbox, configuration.M365.MaxMessagesPerMinute));
            services.AddSingleton<IReplyMailbox>(sp => new GraphReplyMailbox(sp.GetRequiredService<Microsoft.Graph.GraphServiceClient>(), mailbox, configuration.M365.InboxFolder));
            services.AddSingleton<IMeetingCalendar>(sp => new GraphMeetingCalendar(sp.GetRequiredService<Microsoft.Graph.GraphServiceClient>(), mailbox));
            if (configuration.M365 is { ResponseListSite: { Length: > 0 } site, ResponseList: { Length: > 0 } list })
            {
                services.AddSingleton<IResponseRegister>(sp => new SharePointResponseRegister(sp.GetRequiredService<Microsoft.Graph.GraphServiceClient>(), site, list));
            }
        }
        else
        {
            services.AddSingleton<IMailSender>(sp => new OutboxMailSender(workspace.OutboxDirectory, "Wetstoets", configuration.Publishing.AuthorEmail, sp.GetRequiredService<TimeProvider>()));
        }
        var reports = configuration.Publishing.RepositoryPath ?? workspace.ReportsDirectory;
        services.AddSingleton<IReportRepository>(sp => new LocalGitReportRepository(reports, configuration.Publishing, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IPublishLock>(configuration.Storage.Provider == "postgres"
            ? new AdvisoryLock(StorageSetup.PostgresConnectionString(configuration.Storage), AdvisoryLock.Publishing)
            : FileLock.Beside(reports, "publish"));
        services.AddSingleton<ISendLock>(configuration.Storage.Provider == "postgres"
            ? new AdvisoryLock(StorageSetup.PostgresConnectionString(configuration.Storage), AdvisoryLock.Sending)
            : FileLock.Beside(workspace.DatabaseFile, "send"));
        services.AddSingleton<SchedulerProvider>();
        services.AddSingleton<ITimerScheduler, QuartzTimerScheduler>();

        foreach (var step in new[] { typeof(RouteStep), typeof(InviteStep), typeof(CollectStep), typeof(SynthesiseStep), typeof(RenderStep), typeof(PublishStep), typeof(DecisionStep), typeof(EndStep) })
        {
            services.AddScoped(typeof(IStepHandler), step);
        }
        services.AddScoped<WorkflowRunner>();
        services.AddScoped<MailDispatcher>();
        services.AddScoped<ReportBuilder>();
        services.AddScoped<ReportPublisher>();
        services.AddSingleton<PublishedIndex>();
        services.AddSingleton<PublicationQueue>();
        services.AddScoped<ImportMunicipalities>();
        services.AddScoped<ImportPanels>();
        services.AddScoped<ListPanels>();
        services.AddScoped<StartReview>();
        services.AddScoped<DecideReview>();
        services.AddScoped<RetryReview>();
        services.AddScoped<ReviewStatus>();
        services.AddScoped<ReviewHistory>();
        services.AddScoped<SubmitResponse>();
        services.AddScoped<SyncReplies>();
        services.AddScoped<DecideReply>();
        services.AddScoped<PlanPanelMeeting>();
        services.AddScoped<RegisterResponses>();
        services.AddScoped<ReportCommands>();
        services.AddScoped<FireTimer>();
        services.AddScoped<RecoverReviews>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>
    /// One line per message, all on stderr (stdout is for results), from <paramref name="minimum"/> up. EF Core's
    /// own error logs are left out: every failure they describe reaches the product as an exception, which
    /// either is handled (a conflict between two workers, the first query of a new database) or is reported.
    /// </summary>
    private static void ConfigureConsole(ILoggingBuilder logging, LogLevel minimum) =>
        logging.AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter(level => level >= minimum)
            .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Critical)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
}
