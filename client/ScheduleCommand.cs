using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Grains.Schedules;
using DigitalEconomy.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DigitalEconomy.Client;

/// <summary>`de schedule add|list|remove`: studies run on a cron by the cluster (docs/schedules.md).</summary>
internal static partial class ScheduleCommand
{
    /// <summary>An option's value, else the environment variable's, else null.</summary>
    internal static string? Setting(string? option, string variable)
    {
        string? text = option ?? Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    private static Option<string?> RedisOption() =>
        new("--redis") { Description = "the cluster whose membership and reminders are in Redis: host:port[,password=…] (or DE_REDIS)" };

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();

    /// <summary>The stable id of a schedule: SHA-256 of the study name, the cron and the time zone.</summary>
    internal static string DefaultId(string study, string cron, string timeZone) =>
        "s" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{study}|{cron}|{timeZone}\nschedule")))[..10];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var cmd = new Command("schedule", "Run studies on a cron on the cluster (Orleans reminders in Redis; they survive silo restarts): add, list, remove");

        var study = new Argument<string>("study") { Description = "study file (YAML), checked now as 'de run' checks it" };
        var cron = new Option<string>("--cron") { Description = "five-field cron: minute hour day-of-month month day-of-week, e.g. \"0 3 * * *\" (03:00 every day)", Required = true };
        var tz = new Option<string>("--tz") { Description = "IANA time zone the cron is read in, e.g. Asia/Shanghai", DefaultValueFactory = _ => "UTC" };
        var id = new Option<string?>("--id") { Description = "schedule id (letters, digits, - and _); default: a hash of the study name, cron and time zone" };
        var outDir = new Option<string>("--out") { Description = "results root (seen by the silos): runs go to OUT/<study>/<run-id>, the log to OUT/runs.log", DefaultValueFactory = _ => "results" };
        var addRedis = RedisOption();
        var add = new Command("add", "Add (or replace) a schedule: the study runs at every occurrence of the cron") { study, cron, tz, id, outDir, addRedis };
        add.SetAction(p => Cli.Guard(stderr, () =>
        {
            string cronText = p.GetValue(cron)!.Trim();
            string zone = p.GetValue(tz)!.Trim();
            var schedule = CronSchedule.Parse(cronText, zone).RequireOccurrence(DateTime.UtcNow);
            var def = StudyLoader.Load(p.GetValue(study)!, n => stderr.WriteLine($"note: {n}"));
            string key = p.GetValue(id) ?? DefaultId(def.Name, cronText, zone);
            if (!IdPattern().IsMatch(key)) throw new InputException($"--id '{key}': use 1–64 letters, digits, '-' and '_'");
            var definition = new ScheduleDefinition(key, def, Path.GetFullPath(p.GetValue(study)!), cronText, zone, Path.GetFullPath(p.GetValue(outDir)!), DateTime.UtcNow);
            var ds = def.Dataset;
            var info = WithCluster(p.GetValue(addRedis), grains => grains.GetGrain<IScheduleGrain>(key).SetAsync(definition));
            stdout.WriteLine($"schedule {key}: study '{def.Name}' at \"{cronText}\" ({zone}){(ds.Name is null ? "" : ds.Version is { } pinned ? $", on dataset {ds.Name}@v{pinned}" : $", on dataset {ds.Name} (its newest version at each run; a new file in its inbox runs it too)")}");
            stdout.WriteLine($"  next: {When(info.NextOccurrenceUtc, schedule.Zone)}");
            stdout.WriteLine($"  results: {definition.ResultsRoot} (log: {Path.Combine(definition.ResultsRoot, Store.RunLog.FileName)})");
            return 0;
        }));

        var listRedis = RedisOption();
        var list = new Command("list", "Every schedule: id, study, cron, time zone, next occurrence, last run") { listRedis };
        list.SetAction(p => Cli.Guard(stderr, () =>
        {
            var infos = WithCluster(p.GetValue(listRedis), async grains =>
            {
                var all = new List<ScheduleInfo>();
                foreach (string key in await grains.GetGrain<IScheduleRegistryGrain>(0).ListAsync())
                    if (await grains.GetGrain<IScheduleGrain>(key).GetAsync() is { } info) all.Add(info);
                return all;
            });
            if (infos.Count == 0) { stdout.WriteLine("no schedules (add one with: de schedule add STUDY --cron \"0 3 * * *\")"); return 0; }
            foreach (var i in infos)
            {
                var d = i.Definition;
                var zone = CronSchedule.FindZone(d.TimeZone);
                stdout.WriteLine($"{d.Id}  {d.Study.Name}  \"{d.Cron}\" {d.TimeZone}  next {When(i.NextOccurrenceUtc, zone)}"
                                 + $"  last {(i.LastOccurrenceUtc is { } l ? When(l, zone) : "never")}"
                                 + (i.LastRunId is null ? "" : $"  run {i.LastRunId} {i.LastStatus}")
                                 + (d.Study.Dataset.Name is { } dn ? $"  dataset {dn}{(d.Study.Dataset.Version is { } v ? $"@v{v}" : "")}" : ""));
            }
            return 0;
        }));

        var removeId = new Argument<string>("id") { Description = "schedule id (see de schedule list)" };
        var removeRedis = RedisOption();
        var remove = new Command("remove", "Remove a schedule and its reminder (runs already made stay)") { removeId, removeRedis };
        remove.SetAction(p => Cli.Guard(stderr, () =>
        {
            string key = p.GetValue(removeId)!;
            if (!IdPattern().IsMatch(key)) throw new InputException($"schedule id '{key}': use letters, digits, '-' and '_'");
            bool removed = WithCluster(p.GetValue(removeRedis), grains => grains.GetGrain<IScheduleGrain>(key).RemoveAsync());
            if (!removed) throw new InputException($"no schedule '{key}' (see de schedule list)");
            stdout.WriteLine($"removed schedule {key}");
            return 0;
        }));

        cmd.Subcommands.Add(add);
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(remove);
        return cmd;
    }

    /// <summary>A UTC instant as local time in the zone, then UTC: "2026-11-24 03:00 Asia/Shanghai (2026-11-23T19:00Z)".</summary>
    internal static string When(DateTime? utc, TimeZoneInfo zone)
    {
        if (utc is not { } t) return "never";
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(t, DateTimeKind.Utc), zone);
        return $"{local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {zone.Id} ({t.ToString("yyyy-MM-ddTHH:mmZ", CultureInfo.InvariantCulture)})";
    }

    /// <summary>Connects to the cluster (schedules live there: an embedded silo would end with this command), calls, disconnects.</summary>
    private static T WithCluster<T>(string? redisOption, Func<IGrainFactory, Task<T>> call)
    {
        string redis = ClusterConnection.Redis(redisOption)
            ?? throw new InputException("schedules live on a cluster: give --redis host:port (or DE_REDIS) of one whose silos run 'de silo'");
        using var host = ClusterConnection.Connect(redis);
        try { return call(host.Services.GetRequiredService<IGrainFactory>()).GetAwaiter().GetResult(); }
        finally { host.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult(); }
    }
}
