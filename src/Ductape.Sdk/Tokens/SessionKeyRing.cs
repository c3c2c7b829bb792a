using System.Diagnostics.CodeAnalysis;

namespace Ductape.Sdk.Tokens;

/// <summary>
/// The keys that session tokens may be encrypted with: a primary key that issues new tokens, and older keys that are only
/// accepted, so keys can be rotated without logging anybody out. Immutable and thread-safe.
/// </summary>
public sealed class SessionKeyRing
{
    private readonly SessionKey[] _keys;

    /// <summary>Creates a ring.</summary>
    /// <param name="primary">The key new tokens are issued with.</param>
    /// <param name="older">Keys still accepted for validation, newest first.</param>
    /// <exception cref="ArgumentException">Two keys share a key id.</exception>
    public SessionKeyRing(SessionKey primary, params SessionKey[] older)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(older);
        _keys = [primary, .. older];
        for (var i = 0; i < _keys.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(_keys[i], nameof(older));
            for (var j = 0; j < i; j++)
            {
                if (_keys[j].KeyId == _keys[i].KeyId)
                {
                    throw new ArgumentException($"Two session keys share the key id '{_keys[i].KeyId}'.", nameof(older));
                }
            }
        }
    }

    /// <summary>The key that issues new tokens.</summary>
    public SessionKey Primary => _keys[0];

    /// <summary>Every key, the primary first.</summary>
    public IReadOnlyList<SessionKey> Keys => _keys;

    /// <summary>Finds a key by its id (ordinal comparison).</summary>
    /// <param name="keyId">The <c>kid</c> of a token.</param>
    /// <param name="key">The key, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when the ring holds a key with that id.</returns>
    public bool TryGetKey(ReadOnlySpan<char> keyId, [NotNullWhen(true)] out SessionKey? key)
    {
        var index = IndexOf(keyId);
        key = index >= 0 ? _keys[index] : null;
        return key is not null;
    }

    internal int IndexOf(ReadOnlySpan<char> keyId)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            if (keyId.SequenceEqual(_keys[i].KeyId))
            {
                return i;
            }
        }

        return -1;
    }
}
