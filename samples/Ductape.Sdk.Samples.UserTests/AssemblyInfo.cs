// Every test of this project runs in parallel with the others, each on its own instance (so its own local server): what
// docs/testing.md promises holds under NUnit's most parallel mode.
[assembly: Parallelizable(ParallelScope.All)]
[assembly: FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
