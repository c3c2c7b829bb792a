namespace System.Runtime.CompilerServices;

/// <summary>Lets records compile on netstandard2.0, as compilers load analyzers.</summary>
internal static class IsExternalInit;
