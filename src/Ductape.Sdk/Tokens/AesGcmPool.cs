using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Ductape.Sdk.Tokens;

/// <summary>
/// <see cref="AesGcm"/> instances for one key. They are not thread-safe but are costly to build, so each caller rents one,
/// uses it alone and returns it.
/// </summary>
internal sealed class AesGcmPool
{
    public const int TagSize = 16;
    public const int NonceSize = 12;

    private readonly ConcurrentQueue<AesGcm> _idle = new();
    private AesGcm? _ready; // one instance kept outside the queue: a lone caller rents and returns it with one exchange
    private readonly SessionKey _key;
    private readonly int _capacity = Math.Max(4, Environment.ProcessorCount * 2);

    public AesGcmPool(SessionKey key) => _key = key;

    public SessionKey Key => _key;

    public AesGcm Rent() =>
        Interlocked.Exchange(ref _ready, null) ?? (_idle.TryDequeue(out var aes) ? aes : new AesGcm(_key.Secret, TagSize));

    public void Return(AesGcm aes)
    {
        if (Interlocked.CompareExchange(ref _ready, aes, null) is null)
        {
            return;
        }

        if (_idle.Count < _capacity)
        {
            _idle.Enqueue(aes);
        }
        else
        {
            aes.Dispose();
        }
    }
}
