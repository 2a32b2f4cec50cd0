using System.Data.Common;
using System.Net;
using System.Xml.Linq;

namespace Handoff.Server.Tests.Deploy;

/// <summary>
/// deploy/ cannot be run here (no Docker daemon, no Kubernetes cluster), so these tests hold the files to what the
/// host and the platforms need: they parse, they agree with each other, and every Handoff setting they write is an
/// option the host has.
/// </summary>
public sealed class DeployManifestTests
{
    private const string SiloImage = "handoff-server";
    private static readonly string[] HostPorts = ["5080", "5081", "5082", "11111", "30000"];

    // ---------------------------------------------------------------- docker compose

    [Fact]
    public void Compose_runs_postgres_and_two_silos()
    {
        var services = DeployFiles.Compose()["services"];

        Assert.StartsWith("postgres:15", services["postgres"]["image"].Scalar, StringComparison.Ordinal);
        Assert.Equal(2, Silos().Count);
    }

    [Fact]
    public void Compose_silos_read_the_signing_key_from_a_secret_file_kept_out_of_git()
    {
        var compose = DeployFiles.Compose();
        foreach (var (name, silo) in Silos())
        {
            var secret = Assert.Single(silo["secrets"].Items);
            Assert.True(secret["target"].Scalar == "Handoff__Auth__SigningKey", $"{name} mounts its key as {secret["target"].Text}, not the setting's file name");
            var file = compose["secrets"][secret["source"].Scalar]["file"].Scalar;
            var ignored = File.ReadAllLines(DeployFiles.PathOf("deploy/compose/.gitignore"));
            Assert.Contains(Path.GetFileName(file), ignored);
        }
    }

    [Fact]
    public void Compose_postgres_has_a_healthcheck_and_a_volume()
    {
        var postgres = DeployFiles.Compose()["services"]["postgres"];

        Assert.Contains("pg_isready", string.Join(" ", postgres["healthcheck"]["test"].Items.Select(i => i.Scalar)), StringComparison.Ordinal);
        var volume = Assert.Single(postgres["volumes"].Items).Scalar;
        Assert.EndsWith(":/var/lib/postgresql/data", volume, StringComparison.Ordinal);
        Assert.True(DeployFiles.Compose()["volumes"].Entries.Any(e => e.Key == volume.Split(':')[0]), $"The named volume of {volume} is not declared under volumes:");
    }

    [Fact]
    public void Compose_silos_store_on_the_compose_postgres()
    {
        var postgres = DeployFiles.Compose()["services"]["postgres"]["environment"];

        foreach (var (name, silo) in Silos())
        {
            var environment = Environment(silo);
            Assert.True(environment.GetValueOrDefault("Handoff__Server__Storage__Provider") == "PostgreSql", $"{name} does not store on PostgreSQL");

            var connection = new DbConnectionStringBuilder { ConnectionString = environment["Handoff__Server__Storage__PostgreSqlConnectionString"] };
            Assert.Equal("postgres", connection["Host"]);
            Assert.Equal(postgres["POSTGRES_DB"].Scalar, connection["Database"]);
            Assert.Equal(postgres["POSTGRES_USER"].Scalar, connection["Username"]);
            Assert.Equal(postgres["POSTGRES_PASSWORD"].Scalar, connection["Password"]);
        }
    }

    [Fact]
    public void Compose_silos_form_one_cluster()
    {
        var silos = Silos().Select(s => Environment(s.Value)).ToList();

        foreach (var key in new[] { "Handoff__Server__Silo__ClusterId", "Handoff__Server__Silo__ServiceId" })
        {
            var values = silos.Select(e => e.GetValueOrDefault(key)).Distinct().ToList();
            Assert.True(values.Count == 1 && !string.IsNullOrWhiteSpace(values[0]), $"{key} differs between silos or is missing: {string.Join(", ", values)}");
        }
    }

    [Fact]
    public void Compose_silos_advertise_their_own_address_on_the_compose_network()
    {
        var addresses = new List<IPAddress>();
        foreach (var (name, silo) in Silos())
        {
            var advertised = IPAddress.Parse(Environment(silo)["Handoff__Server__Silo__AdvertisedIPAddress"]);
            var network = Assert.Single(silo["networks"].Entries);
            Assert.Equal(advertised.ToString(), network.Value["ipv4_address"].Scalar);

            var subnet = Assert.Single(DeployFiles.Compose()["networks"][network.Key]["ipam"]["config"].Items)["subnet"].Scalar;
            Assert.True(IPNetwork.Parse(subnet).Contains(advertised), $"{name} advertises {advertised}, outside {subnet}");
            Assert.Equal(name, silo["hostname"].Scalar);
            addresses.Add(advertised);
        }

        Assert.Equal(addresses.Count, addresses.Distinct().Count());
    }

    [Fact]
    public void Compose_silos_publish_grpc_and_grpc_web_on_distinct_host_ports()
    {
        var hostPorts = new List<string>();
        foreach (var (name, silo) in Silos())
        {
            var published = silo["ports"].Items.Select(p => p.Scalar.Split(':')).ToDictionary(p => p[^1], p => p[^2]);
            Assert.True(published.ContainsKey("5080"), $"{name} does not publish gRPC (5080)");
            Assert.True(published.ContainsKey("5081"), $"{name} does not publish gRPC-Web (5081)");
            hostPorts.AddRange(published.Values);
        }

        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());
    }

    [Fact]
    public void Compose_one_silo_applies_the_schema_and_the_other_waits_for_it()
    {
        var silos = Silos();
        var appliers = silos.Where(s => Environment(s.Value).GetValueOrDefault("Handoff__Server__Storage__ApplySchema") == "true").ToList();
        var applier = Assert.Single(appliers).Key;

        foreach (var (name, silo) in silos)
        {
            Assert.Equal("service_healthy", silo["depends_on"]["postgres"]["condition"].Text);
            if (name != applier)
            {
                Assert.True(Environment(silo).GetValueOrDefault("Handoff__Server__Storage__ApplySchema") == "false", $"{name} should not apply the schema");
                Assert.Equal("service_healthy", silo["depends_on"][applier]["condition"].Text);
            }
        }
    }

    [Fact]
    public void Compose_builds_the_silo_image_from_the_deploy_Dockerfile()
    {
        foreach (var (name, silo) in Silos())
        {
            var context = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(DeployFiles.ComposeFile)!, silo["build"]["context"].Scalar));
            Assert.Equal(DeployFiles.RepositoryRoot.TrimEnd(Path.DirectorySeparatorChar), context.TrimEnd(Path.DirectorySeparatorChar));
            Assert.Equal(DeployFiles.Dockerfile, Path.Combine(context, silo["build"]["dockerfile"].Scalar.Replace('/', Path.DirectorySeparatorChar)));
            Assert.True(File.Exists(DeployFiles.Dockerfile), $"{name} builds from a missing Dockerfile");
        }
    }

    // ---------------------------------------------------------------- Kubernetes

    [Fact]
    public void Kubernetes_every_manifest_names_its_apiVersion_kind_and_name()
    {
        var objects = DeployFiles.KubernetesObjects();

        Assert.NotEmpty(objects);
        foreach (var o in objects)
        {
            Assert.False(string.IsNullOrWhiteSpace(o["apiVersion"].Text), $"{o.Path} has no apiVersion");
            Assert.False(string.IsNullOrWhiteSpace(o["kind"].Text), $"{o.Path} has no kind");
            Assert.False(string.IsNullOrWhiteSpace(o["metadata"]["name"].Text), $"{o.Path} has no metadata.name");
        }

        var names = objects.Select(o => $"{o["kind"].Scalar}/{o["metadata"]["namespace"].Text}/{o["metadata"]["name"].Scalar}").ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Kubernetes_namespaced_objects_live_in_the_namespace_the_manifests_create()
    {
        var objects = DeployFiles.KubernetesObjects();
        var ns = Assert.Single(objects, o => o["kind"].Scalar == "Namespace")["metadata"]["name"].Scalar;

        foreach (var o in objects.Where(o => o["kind"].Scalar != "Namespace"))
        {
            Assert.True(o["metadata"]["namespace"].Text == ns, $"{o.Path} ({o["kind"].Scalar}) is not in namespace {ns}");
        }
    }

    [Fact]
    public void Kubernetes_kustomization_lists_every_manifest()
    {
        var kustomization = Assert.Single(YamlNode.LoadAll(Path.Combine(DeployFiles.KubernetesFolder, "kustomization.yaml")));

        var listed = kustomization["resources"].Items.Select(r => r.Scalar).Order(StringComparer.Ordinal);
        Assert.Equal(DeployFiles.KubernetesManifestFiles().Select(Path.GetFileName), listed);
    }

    [Fact]
    public void Kubernetes_deployment_runs_several_replicas_its_selector_matches()
    {
        var deployment = Deployment();

        Assert.True(int.Parse(deployment["spec"]["replicas"].Scalar) >= 2, "A cluster needs at least two replicas");
        var selector = deployment["spec"]["selector"]["matchLabels"].ScalarMap();
        Assert.NotEmpty(selector);
        Assert.Subset(PodLabels().ToHashSet(), selector.ToHashSet());
    }

    [Fact]
    public void Kubernetes_server_container_has_an_image_and_the_host_ports()
    {
        var container = ServerContainer();

        Assert.False(string.IsNullOrWhiteSpace(container["image"].Text));
        Assert.Contains(SiloImage, container["image"].Scalar, StringComparison.Ordinal);
        var ports = container["ports"].Items.Select(p => p["containerPort"].Scalar).ToHashSet();
        Assert.Subset(ports, HostPorts.ToHashSet());
    }

    [Fact]
    public void Kubernetes_pods_give_Orleans_their_name_namespace_address_and_cluster_labels()
    {
        var env = ServerContainer()["env"].Items.ToDictionary(e => e["name"].Scalar, e => e);
        string FieldOf(string name) =>
            Assert.Contains(name, (IDictionary<string, YamlNode>)env)["valueFrom"]["fieldRef"]["fieldPath"].Text ?? $"{name} is not from a fieldRef";

        Assert.Equal("metadata.name", FieldOf("POD_NAME"));
        Assert.Equal("metadata.namespace", FieldOf("POD_NAMESPACE"));
        Assert.Equal("status.podIP", FieldOf("POD_IP"));

        var labels = PodLabels();
        Assert.False(string.IsNullOrWhiteSpace(labels.GetValueOrDefault("orleans/serviceId")), "The pods lack the orleans/serviceId label");
        Assert.False(string.IsNullOrWhiteSpace(labels.GetValueOrDefault("orleans/clusterId")), "The pods lack the orleans/clusterId label");

        // Orleans and the host read the ids from the same labels, so they cannot disagree.
        Assert.Equal("metadata.labels['orleans/serviceId']", FieldOf("ORLEANS_SERVICE_ID"));
        Assert.Equal("metadata.labels['orleans/clusterId']", FieldOf("ORLEANS_CLUSTER_ID"));
        Assert.Equal("metadata.labels['orleans/serviceId']", FieldOf("Handoff__Server__Silo__ServiceId"));
        Assert.Equal("metadata.labels['orleans/clusterId']", FieldOf("Handoff__Server__Silo__ClusterId"));

        Assert.Equal("true", env["Handoff__Server__Silo__Kubernetes"]["value"].Text);
        Assert.Equal("$(POD_IP)", env["Handoff__Server__Silo__AdvertisedIPAddress"]["value"].Text);
        var names = env.Keys.ToList();
        Assert.True(names.IndexOf("POD_IP") < names.IndexOf("Handoff__Server__Silo__AdvertisedIPAddress"), "$(POD_IP) only expands when POD_IP is defined first");
    }

    [Fact]
    public void Kubernetes_pods_store_on_PostgreSQL_with_the_connection_string_from_an_existing_secret()
    {
        var container = ServerContainer();
        var settings = PodSettings(container);
        Assert.Equal("PostgreSql", settings.GetValueOrDefault("Handoff__Server__Storage__Provider"));

        var connection = Assert.Single(container["env"].Items, e => e["name"].Scalar == "Handoff__Server__Storage__PostgreSqlConnectionString");
        var reference = connection["valueFrom"]["secretKeyRef"];
        Assert.True(reference.Exists, "The connection string is not read from a Secret");

        var secret = Assert.Single(DeployFiles.KubernetesObjects(), o => o["kind"].Scalar == "Secret" && o["metadata"]["name"].Scalar == reference["name"].Scalar);
        var key = reference["key"].Scalar;
        Assert.True(secret["stringData"][key].Exists || secret["data"][key].Exists, $"Secret {reference["name"].Scalar} has no key {key}");
    }

    [Fact]
    public void Kubernetes_pods_validate_tokens_with_the_key_from_an_existing_secret()
    {
        var key = Assert.Single(ServerContainer()["env"].Items, e => e["name"].Scalar == "Handoff__Auth__SigningKey");
        var reference = key["valueFrom"]["secretKeyRef"];
        Assert.True(reference.Exists, "The signing key is not read from a Secret");

        var secret = Assert.Single(DeployFiles.KubernetesObjects(), o => o["kind"].Scalar == "Secret" && o["metadata"]["name"].Scalar == reference["name"].Scalar);
        Assert.True(secret["stringData"][reference["key"].Scalar].Exists, $"Secret {reference["name"].Scalar} has no key {reference["key"].Scalar}");
    }

    [Fact]
    public void Kubernetes_network_policy_keeps_the_management_and_orleans_ports_off_the_public_path()
    {
        var policy = Assert.Single(DeployFiles.KubernetesObjects(), o => o["kind"].Scalar == "NetworkPolicy");
        var pods = DeployFiles.KubernetesObjects().Single(o => o["kind"].Scalar == "Deployment")["spec"]["template"]["metadata"]["labels"].ScalarMap();
        Assert.All(policy["spec"]["podSelector"]["matchLabels"].ScalarMap(), l => Assert.Equal(pods[l.Key], l.Value));

        var rules = policy["spec"]["ingress"].Items.Select(r => (From: r["from"], Ports: r["ports"].Items.Select(p => p["port"].Scalar).ToHashSet())).ToList();
        Assert.Equal(["grpc", "grpc-web"], rules.Single(r => !r.From.Exists).Ports.Order());
        var management = rules.Single(r => r.Ports.Contains("management"));
        Assert.Equal("monitoring", management.From.Items.Single()["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"].Scalar);
        var orleans = rules.Single(r => r.Ports.Contains("silo"));
        Assert.Equal(["gateway", "silo"], orleans.Ports.Order());
        Assert.All(orleans.From.Items.Single()["podSelector"]["matchLabels"].ScalarMap(), l => Assert.Equal(pods[l.Key], l.Value));
        var named = ServerContainer()["ports"].Items.Select(p => p["name"].Scalar).ToHashSet();
        Assert.Subset(named, rules.SelectMany(r => r.Ports).ToHashSet());
    }

    [Fact]
    public void Kubernetes_pods_read_an_existing_configmap()
    {
        var configMaps = DeployFiles.KubernetesObjects().Where(o => o["kind"].Scalar == "ConfigMap").Select(o => o["metadata"]["name"].Scalar).ToList();

        var referenced = ServerContainer()["envFrom"].Items.Select(e => e["configMapRef"]["name"].Text).OfType<string>().ToList();
        Assert.NotEmpty(referenced);
        Assert.Subset(configMaps.ToHashSet(), referenced.ToHashSet());
    }

    [Fact]
    public void Kubernetes_probes_ask_the_grpc_health_service_on_5080()
    {
        var container = ServerContainer();

        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
        {
            Assert.True(container[probe]["grpc"]["port"].Text == "5080", $"{probe} does not use the gRPC health service on 5080");
        }

        var grace = Deployment()["spec"]["template"]["spec"]["terminationGracePeriodSeconds"].Scalar;
        Assert.True(int.Parse(grace) >= 30, "A stopping silo needs time to hand over its grains");
        Assert.True(container["resources"]["requests"].Exists, "The container requests no resources");
    }

    [Fact]
    public void Kubernetes_pods_run_as_a_service_account_allowed_to_watch_and_delete_pods()
    {
        var objects = DeployFiles.KubernetesObjects();
        var account = Deployment()["spec"]["template"]["spec"]["serviceAccountName"].Scalar;
        Assert.Single(objects, o => o["kind"].Scalar == "ServiceAccount" && o["metadata"]["name"].Scalar == account);

        var bindings = objects.Where(o => o["kind"].Scalar == "RoleBinding"
            && o["subjects"].Items.Any(s => s["kind"].Scalar == "ServiceAccount" && s["name"].Scalar == account)).ToList();
        Assert.NotEmpty(bindings);

        var verbs = new HashSet<string>();
        foreach (var binding in bindings)
        {
            Assert.Equal("Role", binding["roleRef"]["kind"].Scalar);
            var role = Assert.Single(objects, o => o["kind"].Scalar == "Role" && o["metadata"]["name"].Scalar == binding["roleRef"]["name"].Scalar);
            foreach (var rule in role["rules"].Items.Where(r => r["resources"].Items.Any(x => x.Scalar == "pods")))
            {
                Assert.Contains("", rule["apiGroups"].Items.Select(g => g.Scalar));
                verbs.UnionWith(rule["verbs"].Items.Select(v => v.Scalar));
            }
        }

        // What the Orleans Kubernetes agent calls: read and label its pod, list and watch the cluster's pods,
        // delete the pods of dead silos.
        Assert.Subset(verbs, new HashSet<string> { "get", "list", "watch", "patch", "delete" });
    }

    [Fact]
    public void Kubernetes_services_select_the_deployment_pods_and_target_its_ports()
    {
        var labels = PodLabels().ToHashSet();
        var ports = ServerContainer()["ports"].Items.SelectMany(p => new[] { p["name"].Text, p["containerPort"].Scalar }).OfType<string>().ToHashSet();
        var services = DeployFiles.KubernetesObjects().Where(o => o["kind"].Scalar == "Service").ToList();
        Assert.NotEmpty(services);

        foreach (var service in services)
        {
            var selector = service["spec"]["selector"].ScalarMap();
            Assert.NotEmpty(selector);
            Assert.Subset(labels, selector.ToHashSet());
            foreach (var port in service["spec"]["ports"].Items)
            {
                var target = port["targetPort"].Text ?? port["port"].Scalar;
                Assert.True(ports.Contains(target), $"{port.Path} targets {target}, which the container does not expose");
            }
        }

        var exposed = services.SelectMany(s => s["spec"]["ports"].Items.Select(p => p["port"].Scalar)).ToHashSet();
        Assert.Subset(exposed, new HashSet<string> { "5080", "5081" });
    }

    [Fact]
    public void Kubernetes_disruption_budget_selects_the_deployment_pods()
    {
        var budget = Assert.Single(DeployFiles.KubernetesObjects(), o => o["kind"].Scalar == "PodDisruptionBudget");

        var selector = budget["spec"]["selector"]["matchLabels"].ScalarMap();
        Assert.NotEmpty(selector);
        Assert.Subset(PodLabels().ToHashSet(), selector.ToHashSet());
    }

    // ---------------------------------------------------------------- Dockerfile

    [Fact]
    public void Dockerfile_builds_on_the_sdk_and_runs_on_aspnet_as_a_non_root_user()
    {
        var instructions = DockerInstruction.Parse(DeployFiles.Dockerfile);
        var arguments = instructions.TakeWhile(i => i.Keyword != "FROM").Where(i => i.Keyword == "ARG").SelectMany(i => i.Assignments())
            .ToDictionary(a => a.Key, a => a.Value);
        var stages = instructions.Where(i => i.Keyword == "FROM").Select(i => Expand(i.Words[0], arguments)).ToList();

        Assert.Equal(2, stages.Count);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", stages[0]);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", stages[^1]);

        var finalStage = instructions.SkipWhile(i => i != instructions.Last(x => x.Keyword == "FROM")).ToList();
        var user = Assert.Single(finalStage, i => i.Keyword == "USER").Arguments;
        Assert.DoesNotContain(user, new[] { "root", "0" });
        Assert.Contains(finalStage, i => i.Keyword == "ENTRYPOINT" && i.Arguments.Contains("Handoff.Server.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_publishes_the_server_project_and_exposes_the_host_ports()
    {
        var instructions = DockerInstruction.Parse(DeployFiles.Dockerfile);

        var publish = Assert.Single(instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        var project = publish.Words.SkipWhile(w => w != "publish").Skip(1).First();
        Assert.Equal("src/Handoff.Server/Handoff.Server.csproj", project);
        Assert.True(File.Exists(DeployFiles.PathOf(project)), $"{project} does not exist");

        var exposed = instructions.Where(i => i.Keyword == "EXPOSE").SelectMany(i => i.Words).Select(w => w.Split('/')[0]).ToHashSet();
        Assert.Subset(exposed, HostPorts.ToHashSet());

        var environment = instructions.Where(i => i.Keyword == "ENV").SelectMany(i => i.Assignments()).ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal("http://0.0.0.0:5080", environment["Handoff__Server__GrpcUrl"]);
        Assert.Equal("http://0.0.0.0:5081", environment["Handoff__Server__GrpcWebUrl"]);
    }

    [Fact]
    public void Dockerfile_copies_only_paths_that_exist()
    {
        var copies = DockerInstruction.Parse(DeployFiles.Dockerfile)
            .Where(i => i.Keyword is "COPY" or "ADD" && !i.Words.Any(w => w.StartsWith("--from", StringComparison.Ordinal)))
            .ToList();
        Assert.NotEmpty(copies);

        foreach (var copy in copies)
        {
            var sources = copy.Words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).SkipLast(1);
            foreach (var source in sources)
            {
                var path = DeployFiles.PathOf(source.TrimEnd('/'));
                Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {source}: nothing there in the repository");
            }
        }
    }

    [Fact]
    public void Dockerfile_restores_with_every_project_the_server_references_copied_first()
    {
        var instructions = DockerInstruction.Parse(DeployFiles.Dockerfile).ToList();
        var restore = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0, "The Dockerfile has no separate restore step (layer caching)");

        var copiedBeforeRestore = instructions.Take(restore).Where(i => i.Keyword == "COPY")
            .SelectMany(i => i.Words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).SkipLast(1))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("Directory.Packages.props", copiedBeforeRestore);
        Assert.Contains("Directory.Build.props", copiedBeforeRestore);

        foreach (var project in ProjectClosure("src/Handoff.Server/Handoff.Server.csproj"))
        {
            Assert.True(copiedBeforeRestore.Contains(project), $"{project} (referenced by the server) is not copied before the restore");
        }
    }

    // ---------------------------------------------------------------- settings the files give the host

    [Fact]
    public void Every_Handoff_setting_in_compose_kubernetes_and_the_Dockerfile_is_an_option_of_the_host()
    {
        var settings = new List<(string Where, string Name, string? Value)>();
        foreach (var (name, service) in DeployFiles.Compose()["services"].Entries)
        {
            settings.AddRange(Environment(service).Select(e => ($"compose {name}", e.Key, (string?)e.Value)));
        }

        foreach (var o in DeployFiles.KubernetesObjects())
        {
            if (o["kind"].Scalar == "ConfigMap")
            {
                settings.AddRange(o["data"].ScalarMap().Select(e => ($"{o.Path} ConfigMap", e.Key, (string?)e.Value)));
            }

            foreach (var container in o["spec"]["template"]["spec"]["containers"].Items)
            {
                settings.AddRange(container["env"].Items.Select(e => ($"{o.Path} {container["name"].Text}", e["name"].Scalar, e["value"].Text)));
            }
        }

        settings.AddRange(DockerInstruction.Parse(DeployFiles.Dockerfile).Where(i => i.Keyword == "ENV").SelectMany(i => i.Assignments())
            .Select(a => ("Dockerfile", a.Key, (string?)a.Value)));

        var handoff = settings.Where(s => s.Name.StartsWith("Handoff__", StringComparison.Ordinal)).ToList();
        Assert.True(handoff.Count >= 20, $"Only {handoff.Count} Handoff settings found: the files were not read as expected");
        var problems = handoff.Select(s => OptionKeys.Problem(s.Name, s.Value) is { } p ? $"{s.Where}: {p}" : null).OfType<string>().ToList();
        Assert.True(problems.Count == 0, string.Join(System.Environment.NewLine, problems));
    }

    [Theory]
    [InlineData("Handoff__Server__Storage__NoSuchOption", null)]
    [InlineData("Handoff__Server__Storage__Provider", "Oracle")]
    [InlineData("Handoff__Server__Silo__SiloPort", "eleven")]
    [InlineData("Handoff__Server__Silo", null)]
    [InlineData("Handoff__Server__CorsOrigins__first", "http://localhost")]
    [InlineData("Handoff__Nowhere__GrpcUrl", "http://0.0.0.0:5080")]
    public void The_option_check_rejects_what_the_host_would_not_bind(string name, string? value)
    {
        Assert.NotNull(OptionKeys.Problem(name, value));
    }

    [Theory]
    [InlineData("Handoff__Server__GrpcUrl", "http://0.0.0.0:5080")]
    [InlineData("Handoff__Server__CorsOrigins__0", "http://localhost:5173")]
    [InlineData("Handoff__Server__Silo__SiloPort", "11111")]
    [InlineData("Handoff__Server__Silo__Kubernetes", "true")]
    [InlineData("Handoff__Server__Silo__GrainIdleTimeout", "00:15:00")]
    [InlineData("handoff__server__storage__sqlitepath", "/data/handoff.db")]
    public void The_option_check_accepts_what_the_host_binds(string name, string? value)
    {
        Assert.Null(OptionKeys.Problem(name, value));
    }

    [Fact]
    public void Deploy_readme_links_only_to_files_that_exist()
    {
        var readme = DeployFiles.PathOf("deploy/README.md");
        var links = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(readme), @"\]\(([^)#:]+)(#[^)]*)?\)")
            .Select(m => m.Groups[1].Value)
            .ToList();

        Assert.True(links.Count >= 5, "The deploy README links to fewer files than expected: was it read?");
        foreach (var link in links)
        {
            var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(readme)!, link));
            Assert.True(File.Exists(target) || Directory.Exists(target), $"deploy/README.md links to {link}, which does not exist");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static IReadOnlyList<KeyValuePair<string, YamlNode>> Silos() =>
        DeployFiles.Compose()["services"].Entries.Where(s => s.Value["image"].Text?.StartsWith(SiloImage, StringComparison.Ordinal) == true).ToList();

    /// <summary>A compose service's environment, written as a mapping or as a list of NAME=value.</summary>
    private static Dictionary<string, string> Environment(YamlNode service)
    {
        var environment = service["environment"];
        return environment.IsSequence
            ? environment.Items.Select(i => i.Scalar.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal)
            : environment.Entries.ToDictionary(e => e.Key, e => e.Value.Text ?? "", StringComparer.Ordinal);
    }

    private static YamlNode Deployment() => Assert.Single(DeployFiles.KubernetesObjects(), o => o["kind"].Scalar == "Deployment");

    private static IReadOnlyDictionary<string, string> PodLabels() => Deployment()["spec"]["template"]["metadata"]["labels"].ScalarMap();

    private static YamlNode ServerContainer() =>
        Assert.Single(Deployment()["spec"]["template"]["spec"]["containers"].Items, c => c["image"].Text?.Contains(SiloImage, StringComparison.Ordinal) == true);

    /// <summary>The settings a pod sees: its ConfigMaps (envFrom), then its literal env values.</summary>
    private static Dictionary<string, string> PodSettings(YamlNode container)
    {
        var objects = DeployFiles.KubernetesObjects();
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in container["envFrom"].Items.Select(e => e["configMapRef"]["name"].Text).OfType<string>())
        {
            var configMap = Assert.Single(objects, o => o["kind"].Scalar == "ConfigMap" && o["metadata"]["name"].Scalar == name);
            foreach (var (key, value) in configMap["data"].ScalarMap())
            {
                settings[key] = value;
            }
        }

        foreach (var e in container["env"].Items.Where(e => e["value"].Text is not null))
        {
            settings[e["name"].Scalar] = e["value"].Scalar;
        }

        return settings;
    }

    private static string Expand(string text, IReadOnlyDictionary<string, string> arguments) =>
        arguments.Aggregate(text, (t, a) => t.Replace("${" + a.Key + "}", a.Value, StringComparison.Ordinal).Replace("$" + a.Key, a.Value, StringComparison.Ordinal));

    /// <summary>A project and every project it references, transitively, as paths from the repository root.</summary>
    private static IReadOnlySet<string> ProjectClosure(string project)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!found.Add(next))
            {
                continue;
            }

            var full = DeployFiles.PathOf(next);
            foreach (var reference in XDocument.Load(full).Descendants("ProjectReference").Select(r => r.Attribute("Include")!.Value))
            {
                var referenced = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, reference.Replace('\\', Path.DirectorySeparatorChar)));
                pending.Push(Path.GetRelativePath(DeployFiles.RepositoryRoot, referenced).Replace(Path.DirectorySeparatorChar, '/'));
            }
        }

        return found;
    }
}
