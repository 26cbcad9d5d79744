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

/// <summary>Fits a batch of specifications (key: batch work key).</summary>
public interface ISpecificationGrain : IGrainWithStringKey
{
    /// <summary>Fits every specification of the batch; a specification that cannot be fitted is a result with its reason.</summary>
    Task<BatchEstimated> EstimateAsync(EstimateBatch work);
}

/// <summary>Runs a block of bootstrap replicates (key: specification id + "/" + first replicate).</summary>
public interface IBootstrapGrain : IGrainWithStringKey
{
    /// <summary>Runs the block.</summary>
    Task<BootstrapBlockDone> RunAsync(BootstrapBlock work);
}

/// <summary>Runs the wild cluster bootstrap of one specification (key: specification id).</summary>
public interface IWildBootstrapGrain : IGrainWithStringKey
{
    /// <summary>Runs the test; a specification that cannot be tested (no one-way cluster vcov, failed fit) is a reply carrying the reason.</summary>
    Task<WildBootstrapDone> RunAsync(WildBootstrapWork work);
}

/// <summary>Refits a block of specifications on a block of null draws of the specification curve (key: spec block key + "-" + first draw).</summary>
public interface ICurveNullGrain : IGrainWithStringKey
{
    /// <summary>Runs the block.</summary>
    Task<CurveNullBlockDone> RunAsync(CurveNullBlock work);
}

/// <summary>Fits the models of an analysis (key: run id / analysis name) exactly as <c>de estimate</c> does; writes nothing.</summary>
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>Fits every model of the batch; a model that cannot be estimated comes back with its error.</summary>
    Task<ModelBatchDone> FitAsync(ModelBatch work);
}

/// <summary>Runs a block of Fisher permutations of a group-difference test (key: run / analysis / test / first permutation).</summary>
public interface IPermutationGrain : IGrainWithStringKey
{
    /// <summary>The permuted statistics of the block, from the counter-based streams of the work.</summary>
    Task<PermutationDone> RunAsync(PermutationWork work);
}
