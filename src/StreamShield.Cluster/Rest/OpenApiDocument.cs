using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using StreamShield.Cluster.Model;

namespace StreamShield.Cluster.Rest;

/// <summary>
/// The OpenAPI 3 description served at <c>GET /api/v1/openapi.json</c>: paths written by hand, schemas derived
/// from the <see cref="StreamShield.Cluster.Model"/> records so they cannot drift from the JSON the API writes.
/// </summary>
internal static class OpenApiDocument
{
    private static readonly Lazy<string> Document = new(Build);

    /// <summary>The document as indented JSON.</summary>
    public static string Json => Document.Value;

    private static readonly Type[] SchemaTypes =
    [
        typeof(ClusterOverview), typeof(WorkerInfo), typeof(JobSummary), typeof(JobDetail), typeof(VertexInfo), typeof(SubtaskInfo),
        typeof(CheckpointInfo), typeof(TimelineEvent), typeof(ExceptionInfo), typeof(ArtifactInfo), typeof(SubmitRequest),
        typeof(SubmitResponse), typeof(SavepointResponse), typeof(RestServer.DirectoryRequest), typeof(RestServer.ErrorBody),
    ];

    private static string Build()
    {
        var schemas = new JsonObject();
        foreach (var type in SchemaTypes) schemas[type.Name] = ObjectSchema(type);
        schemas["CancelResponse"] = new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("jobId"),
            ["properties"] = new JsonObject { ["jobId"] = new JsonObject { ["type"] = "string" } },
        };

        var jobId = new JsonArray(PathParameter("id", "Job id."));
        var artifactId = new JsonArray(PathParameter("id", "Artifact id."));
        var paths = new JsonObject
        {
            ["/api/v1/overview"] = Get("Cluster overview.", Ref<ClusterOverview>()),
            ["/api/v1/workers"] = Get("Registered workers.", ArrayOf<WorkerInfo>()),
            ["/api/v1/jobs"] = new JsonObject
            {
                ["get"] = Operation("List jobs.", null, Ok(ArrayOf<JobSummary>())),
                ["post"] = Operation("Submit a job from an uploaded artifact.", null,
                    Responses(("201", "Job started.", Ref<SubmitResponse>()), ("400", "The job cannot run.", Ref<RestServer.ErrorBody>())),
                    JsonBody(Ref<SubmitRequest>(), required: true)),
            },
            ["/api/v1/jobs/{id}"] = Get("A job with its vertices and subtasks.", Ref<JobDetail>(), jobId),
            ["/api/v1/jobs/{id}/checkpoints"] = Get("Checkpoints and savepoints of a job.", ArrayOf<CheckpointInfo>(), jobId),
            ["/api/v1/jobs/{id}/timeline"] = Get("Timeline of a job.", ArrayOf<TimelineEvent>(), jobId),
            ["/api/v1/jobs/{id}/exceptions"] = Get("Failures of a job.", ArrayOf<ExceptionInfo>(), jobId),
            ["/api/v1/jobs/{id}/cancel"] = new JsonObject
            {
                ["post"] = Operation("Cancel a job.", jobId.DeepClone(),
                    Responses(("202", "Cancellation started.", Ref("CancelResponse")), ("404", "No such running job.", Ref<RestServer.ErrorBody>()))),
            },
            ["/api/v1/jobs/{id}/savepoints"] = new JsonObject
            {
                ["post"] = Operation("Trigger a savepoint and wait for it.", jobId.DeepClone(),
                    Responses(("200", "Savepoint written.", Ref<SavepointResponse>()), ("400", "Savepoint failed.", Ref<RestServer.ErrorBody>())),
                    JsonBody(Ref<RestServer.DirectoryRequest>(), required: false)),
            },
            ["/api/v1/jobs/{id}/stop"] = new JsonObject
            {
                ["post"] = Operation("Stop a job with a savepoint.", jobId.DeepClone(),
                    Responses(("200", "Savepoint written and job stopped.", Ref<SavepointResponse>()), ("400", "Stop failed.", Ref<RestServer.ErrorBody>())),
                    JsonBody(Ref<RestServer.DirectoryRequest>(), required: false)),
            },
            ["/api/v1/artifacts"] = new JsonObject
            {
                ["post"] = Operation("Upload a job artifact (a zip of the job's directory).", null,
                    Responses(("200", "Artifact stored.", Ref<ArtifactInfo>()), ("400", "Not a job.", Ref<RestServer.ErrorBody>())),
                    new JsonObject
                    {
                        ["required"] = true,
                        ["content"] = new JsonObject
                        {
                            ["application/zip"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } },
                            ["application/octet-stream"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } },
                        },
                    }),
            },
            ["/api/v1/artifacts/{id}"] = new JsonObject
            {
                ["get"] = Operation("Download an artifact's zip.", artifactId,
                    new JsonObject
                    {
                        ["200"] = new JsonObject
                        {
                            ["description"] = "The zip.",
                            ["content"] = new JsonObject { ["application/zip"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } } },
                        },
                        ["404"] = Response("No such artifact.", Ref<RestServer.ErrorBody>()),
                    }),
            },
            ["/api/v1/openapi.json"] = new JsonObject
            {
                ["get"] = Operation("This document.", null, new JsonObject { ["200"] = new JsonObject { ["description"] = "OpenAPI 3 document." } }),
            },
            ["/metrics"] = new JsonObject
            {
                ["get"] = Operation("Metrics in the Prometheus text format (version 0.0.4).", null,
                    new JsonObject
                    {
                        ["200"] = new JsonObject
                        {
                            ["description"] = "Metrics.",
                            ["content"] = new JsonObject { ["text/plain"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } },
                        },
                    }),
            },
        };

        var document = new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "StreamShield cluster REST API",
                ["version"] = "v1",
                ["description"] = "Errors answer {\"error\": \"...\"}. With a cluster token, every request needs 'Authorization: Bearer <token>'.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject { ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer" } },
            },
            ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Get(string summary, JsonNode schema, JsonArray? parameters = null)
    {
        var responses = Ok(schema);
        if (parameters is not null) responses["404"] = Response("No such job.", Ref<RestServer.ErrorBody>());
        return new JsonObject { ["get"] = Operation(summary, parameters?.DeepClone(), responses) };
    }

    private static JsonObject Operation(string summary, JsonNode? parameters, JsonObject responses, JsonObject? requestBody = null)
    {
        var operation = new JsonObject { ["summary"] = summary };
        if (parameters is not null) operation["parameters"] = parameters;
        if (requestBody is not null) operation["requestBody"] = requestBody;
        responses["401"] = Response("Missing or wrong cluster token.", Ref<RestServer.ErrorBody>());
        operation["responses"] = responses;
        return operation;
    }

    private static JsonObject Ok(JsonNode schema) => new() { ["200"] = Response("OK.", schema) };

    private static JsonObject Responses(params (string Status, string Description, JsonNode Schema)[] responses)
    {
        var result = new JsonObject();
        foreach (var (status, description, schema) in responses) result[status] = Response(description, schema);
        return result;
    }

    private static JsonObject Response(string description, JsonNode schema) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
    };

    private static JsonObject JsonBody(JsonNode schema, bool required) => new()
    {
        ["required"] = required,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
    };

    private static JsonObject PathParameter(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["required"] = true,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" },
    };

    private static JsonObject Ref<T>() => Ref(typeof(T).Name);

    private static JsonObject Ref(string name) => new() { ["$ref"] = $"#/components/schemas/{name}" };

    private static JsonObject ArrayOf<T>() => new() { ["type"] = "array", ["items"] = Ref<T>() };

    private static JsonObject ObjectSchema(Type type)
    {
        var nullability = new NullabilityInfoContext();
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract"))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var nullable = nullability.Create(property).ReadState == NullabilityState.Nullable;
            properties[name] = PropertySchema(property.PropertyType, nullable);
            if (!nullable) required.Add(name);
        }
        return new JsonObject { ["type"] = "object", ["required"] = required, ["properties"] = properties };
    }

    private static JsonObject PropertySchema(Type type, bool nullable)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            type = underlying;
            nullable = true;
        }
        JsonObject schema;
        if (type == typeof(string)) schema = new JsonObject { ["type"] = "string" };
        else if (type == typeof(bool)) schema = new JsonObject { ["type"] = "boolean" };
        else if (type == typeof(int)) schema = new JsonObject { ["type"] = "integer", ["format"] = "int32" };
        else if (type == typeof(long)) schema = new JsonObject { ["type"] = "integer", ["format"] = "int64" };
        else if (type == typeof(double)) schema = new JsonObject { ["type"] = "number", ["format"] = "double" };
        else if (type == typeof(DateTimeOffset)) schema = new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            schema = new JsonObject { ["type"] = "array", ["items"] = PropertySchema(type.GetGenericArguments()[0], false) };
        else if (SchemaTypes.Contains(type)) return nullable ? new JsonObject { ["nullable"] = true, ["allOf"] = new JsonArray(Ref(type.Name)) } : Ref(type.Name);
        else schema = new JsonObject();
        if (nullable) schema["nullable"] = true;
        return schema;
    }
}
