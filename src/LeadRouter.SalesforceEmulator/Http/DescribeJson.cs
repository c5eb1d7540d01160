using System.Text;
using System.Text.Json;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>
/// Describe results in Salesforce's key set (the subset clients read: names, types, flags,
/// lookups, child relationships, urls), built from the store's <see cref="SObjectSchema"/>.
/// </summary>
internal static class DescribeJson
{
    /// <summary>GET /sobjects: every type with its key prefix and urls.</summary>
    public static void WriteGlobal(Utf8JsonWriter w, OrgStore store, string version)
    {
        w.WriteStartObject();
        w.WriteString("encoding", "UTF-8");
        w.WriteNumber("maxBatchSize", 200);
        w.WriteStartArray("sobjects");
        foreach (var name in store.ObjectNames.Order(StringComparer.Ordinal))
        {
            if (store.Describe(name) is not { } schema)
                continue;
            w.WriteStartObject();
            WriteObjectFlags(w, schema);
            WriteUrls(w, schema.Name, version);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>GET /sobjects/{type}: the type's flags and urls; the emulator keeps no recently viewed items.</summary>
    public static void WriteBasicInfo(Utf8JsonWriter w, SObjectSchema schema, string version)
    {
        w.WriteStartObject();
        w.WriteStartObject("objectDescribe");
        WriteObjectFlags(w, schema);
        WriteUrls(w, schema.Name, version);
        w.WriteEndObject();
        w.WriteStartArray("recentItems");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>GET /sobjects/{type}/describe.</summary>
    public static void WriteObject(Utf8JsonWriter w, OrgStore store, SObjectSchema schema, string version)
    {
        w.WriteStartObject();
        WriteObjectFlags(w, schema);
        WriteChildRelationships(w, store, schema);
        w.WriteStartArray("fields");
        foreach (var field in schema.Fields)
            WriteField(w, field);
        w.WriteEndArray();
        w.WriteStartArray("recordTypeInfos");
        w.WriteEndArray();
        WriteUrls(w, schema.Name, version);
        w.WriteEndObject();
    }

    private static void WriteObjectFlags(Utf8JsonWriter w, SObjectSchema schema)
    {
        var custom = schema.Name.EndsWith("__c", StringComparison.Ordinal);
        w.WriteString("name", schema.Name);
        w.WriteString("label", Label(schema.Name));
        w.WriteString("labelPlural", Label(schema.Name) + "s");
        w.WriteString("keyPrefix", schema.KeyPrefix);
        w.WriteBoolean("custom", custom);
        w.WriteBoolean("createable", schema.Fields.Any(f => f.Createable));
        w.WriteBoolean("updateable", schema.Fields.Any(f => f.Updateable));
        w.WriteBoolean("deletable", true);
        w.WriteBoolean("queryable", true);
        w.WriteBoolean("retrieveable", true);
        w.WriteBoolean("searchable", true);
        w.WriteBoolean("replicateable", true);
        w.WriteBoolean("undeletable", true);
    }

    private static void WriteChildRelationships(Utf8JsonWriter w, OrgStore store, SObjectSchema parent)
    {
        w.WriteStartArray("childRelationships");
        foreach (var name in store.ObjectNames.Order(StringComparer.Ordinal))
        {
            foreach (var field in store.Describe(name)?.Fields ?? [])
            {
                if (!field.ReferenceTo.Contains(parent.Name))
                    continue;
                w.WriteStartObject();
                w.WriteBoolean("cascadeDelete", false);
                w.WriteString("childSObject", name);
                w.WriteBoolean("deprecatedAndHidden", false);
                w.WriteString("field", field.Name);
                w.WriteNull("relationshipName");
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
    }

    private static void WriteField(Utf8JsonWriter w, SObjectField field)
    {
        var length = field.Type switch
        {
            "id" or "reference" => 18,
            "string" or "picklist" or "email" or "phone" or "url" or "multipicklist" or "combobox" => 255,
            "textarea" => 32000,
            _ => 0,
        };
        w.WriteStartObject();
        w.WriteString("name", field.Name);
        w.WriteString("label", Label(field.Name));
        w.WriteString("type", field.Type);
        w.WriteString("soapType", SoapType(field.Type));
        w.WriteNumber("length", length);
        w.WriteNumber("byteLength", length * 3);
        w.WriteNumber("precision", field.Type is "double" or "currency" or "percent" ? 18 : 0);
        w.WriteNumber("scale", field.Type is "currency" ? 2 : 0);
        w.WriteNumber("digits", field.Type is "int" ? 9 : 0);
        w.WriteBoolean("custom", field.Name.EndsWith("__c", StringComparison.Ordinal));
        w.WriteBoolean("nillable", field.Nillable);
        w.WriteBoolean("createable", field.Createable);
        w.WriteBoolean("updateable", field.Updateable);
        w.WriteBoolean("calculated", false);
        w.WriteBoolean("defaultedOnCreate", !field.Createable && !field.Nillable);
        w.WriteBoolean("filterable", field.Type is not "textarea");
        w.WriteBoolean("sortable", field.Type is not "textarea");
        w.WriteBoolean("groupable", field.Type is not ("textarea" or "double" or "currency" or "percent" or "datetime"));
        w.WriteBoolean("idLookup", field.Type == "id");
        w.WriteBoolean("nameField", field.Name == "Name");
        w.WriteBoolean("unique", false);
        w.WriteBoolean("externalId", false);
        w.WriteStartArray("picklistValues");
        w.WriteEndArray();
        w.WriteStartArray("referenceTo");
        foreach (var target in field.ReferenceTo)
            w.WriteStringValue(target);
        w.WriteEndArray();
        if (field.RelationshipName is null)
            w.WriteNull("relationshipName");
        else
            w.WriteString("relationshipName", field.RelationshipName);
        w.WriteBoolean("polymorphicForeignKey", field.ReferenceTo.Count > 1);
        w.WriteEndObject();
    }

    private static void WriteUrls(Utf8JsonWriter w, string name, string version)
    {
        var root = $"/services/data/v{version}/sobjects/{name}";
        w.WriteStartObject("urls");
        w.WriteString("sobject", root);
        w.WriteString("describe", root + "/describe");
        w.WriteString("rowTemplate", root + "/{ID}");
        w.WriteEndObject();
    }

    private static string SoapType(string type) => type switch
    {
        "id" or "reference" => "tns:ID",
        "boolean" => "xsd:boolean",
        "int" => "xsd:int",
        "double" or "currency" or "percent" => "xsd:double",
        "date" => "xsd:date",
        "datetime" => "xsd:dateTime",
        "address" => "urn:address",
        _ => "xsd:string",
    };

    /// <summary>"LeadSource" → "Lead Source", "Segment__c" → "Segment".</summary>
    private static string Label(string apiName)
    {
        var name = apiName.EndsWith("__c", StringComparison.Ordinal) ? apiName[..^3] : apiName;
        var label = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsAsciiLetterUpper(name[i]) && char.IsAsciiLetterLower(name[i - 1]))
                label.Append(' ');
            label.Append(name[i] == '_' ? ' ' : name[i]);
        }
        return label.ToString();
    }
}
