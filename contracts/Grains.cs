namespace DigitalEconomy.Contracts;

/// <summary>The run of a study (key: run id = hash of the study file, the dataset and the seed). Lives on a silo; drives the stages.</summary>
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Starts (or resumes) the run and returns at once; a complete run answers Complete without recomputing.</summary>
    Task<RunStatus> StartAsync(StartRun command);

    /// <summary>Where the run stands.</summary>
    Task<RunStatus> GetStatusAsync();

    /// <summary>Stops the run at the next piece of work; committed parts stay, and the same command resumes it.</summary>
    Task<RunStatus> InterruptAsync();
}

/// <summary>Holds the bytes of one prepared dataset (key: its SHA-256), from which every silo fills its cache.</summary>
public interface IDatasetGrain : IGrainWithStringKey
{
    /// <summary>Stores the dataset (idempotent; refuses bytes whose hash is not the key).</summary>
    Task PutAsync(DatasetBytes dataset);

    /// <summary>The dataset, or null when this activation holds none.</summary>
    Task<DatasetBytes?> GetAsync();
}

/// <summary>One region's rows of a dataset version (key: dataset SHA-256 + "/" + region): the map steps of pooled indices, and scores.</summary>
public interface IRegionGrain : IGrainWithStringKey
{
    /// <summary>Map step 1 of the entropy index: ranges.</summary>
    Task<RegionRanges> RangesAsync(DatasetRef dataset, RegionRangesWork work);

    /// <summary>Map step 2: sums given the merged ranges.</summary>
    Task<RegionSums> SumsAsync(DatasetRef dataset, RegionSumsWork work);

    /// <summary>Scores of the region's rows.</summary>
    Task<RegionScores> ScoreAsync(DatasetRef dataset, RegionScoreWork work);
}
