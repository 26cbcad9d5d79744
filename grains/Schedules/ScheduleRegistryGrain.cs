using System.Collections.Immutable;
using DigitalEconomy.Contracts;

namespace DigitalEconomy.Grains.Schedules;

/// <summary>What the registry keeps in grain storage.</summary>
[GenerateSerializer]
public sealed class ScheduleRegistryState
{
    /// <summary>The schedule ids.</summary>
    [Id(0)] public List<string> Ids { get; set; } = [];
}

/// <summary>The cluster's list of schedule ids (key 0), in the run storage so that it survives silo restarts.</summary>
public sealed class ScheduleRegistryGrain(
    [PersistentState("schedule-registry", RunGrain.StorageName)] IPersistentState<ScheduleRegistryState> state) : Grain, IScheduleRegistryGrain
{
    /// <inheritdoc/>
    public async Task AddAsync(string id)
    {
        if (state.State.Ids.Contains(id)) return;
        state.State.Ids.Add(id);
        state.State.Ids.Sort(StringComparer.Ordinal);
        await state.WriteStateAsync();
    }

    /// <inheritdoc/>
    public async Task RemoveAsync(string id)
    {
        if (state.State.Ids.Remove(id)) await state.WriteStateAsync();
    }

    /// <inheritdoc/>
    public Task<ImmutableArray<string>> ListAsync() => Task.FromResult(state.State.Ids.ToImmutableArray());
}
