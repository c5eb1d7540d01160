using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LeadRouter.SalesforceEmulator.Generation;

namespace LeadRouter.Tests.Emulator.Generation;

/// <summary>A SHA-256 over every record, field and value of an org, types in name order: equal hashes mean equal orgs.</summary>
internal static class OrgHashing
{
    public static string Hash(GeneratedOrg org)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder();
        foreach (var type in org.Records.Keys.Order(StringComparer.Ordinal))
        {
            foreach (var record in org.Records[type])
            {
                line.Clear().Append(type);
                foreach (var (field, value) in record)
                    line.Append('|').Append(field).Append('=').Append(Format(value));
                hash.AppendData(Encoding.UTF8.GetBytes(line.Append('\n').ToString()));
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        DateTimeOffset moment => moment.ToString("O", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => string.Concat(value.GetType().Name, ":", formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => value.ToString() ?? "",
    };
}
