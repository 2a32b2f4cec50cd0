// One host and one Chromium at a time: on two shared cores, a test class with its own host (a crash, a production
// host) running beside the shared one would only make every page slower to answer.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
