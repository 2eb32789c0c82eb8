using System.Globalization;

namespace EmbedEngine.Cli.Commands;

/// <summary>Sizes such as "512M", "4G" or "1.5g" on the command line; a bare number is MiB.</summary>
internal static class ByteSize
{
    /// <summary>Parses <paramref name="text"/> into bytes.</summary>
    /// <exception cref="ArgumentException">The text is not a positive size; the message shows the accepted forms.</exception>
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        long unit = 1L << 20;
        if (trimmed.Length > 0)
        {
            long? suffixUnit = char.ToUpperInvariant(trimmed[^1]) switch
            {
                'K' => 1L << 10,
                'M' => 1L << 20,
                'G' => 1L << 30,
                'T' => 1L << 40,
                _ => null,
            };
            if (suffixUnit is { } chosen)
            {
                unit = chosen;
                trimmed = trimmed[..^1];
            }
        }
        if (!double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount)
            || !(amount > 0) || amount * unit >= long.MaxValue)
            throw new ArgumentException($"'{text}' is not a size; write it like 512M, 4G or 1.5G (a bare number is MiB).");
        return (long)(amount * unit);
    }

    /// <summary>Bytes as MiB with two decimals, for messages.</summary>
    public static string Format(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.##} MiB");
}
