# Shared tier: one namespace per deployment on the shared cluster, fenced by a quota and a network policy.
# Redis itself is installed by Argo CD (Helm chart, values from the GitOps repository); this module makes
# what it runs in, its password, and its DNS name.
locals {
  namespace = "plinth-${var.deployment_id}"
  host      = "${var.deployment_name}-${substr(var.deployment_id, 0, 8)}.${var.region}.${var.dns_domain}"
  pods      = 1 + var.replicas
  # Per pod, besides Redis's own memory: the CPU limits and the metrics sidecar of deploy/helm/redis/values.yaml.
  redis_cpu_limit_m      = 1000
  metrics_cpu_limit_m    = 100
  metrics_memory_request = 32
  metrics_memory_limit   = 64
  labels = {
    "app.kubernetes.io/managed-by" = "plinth"
    "plinth.dev/deployment"        = var.deployment_id
    "plinth.dev/org"               = var.org_id
    "plinth.dev/plan"              = var.plan
    "plinth.dev/redis-version"     = var.redis_version
  }
}

resource "kubernetes_namespace_v1" "this" {
  metadata {
    name   = local.namespace
    labels = local.labels
  }
}

# Memory limits carry 25% headroom over maxmemory (Redis needs it for replication buffers and forks).
resource "kubernetes_resource_quota_v1" "this" {
  metadata {
    name      = "plinth-quota"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }
  spec {
    hard = {
      "requests.memory"        = "${(var.memory_mb + local.metrics_memory_request) * local.pods}Mi"
      "limits.memory"          = "${(ceil(var.memory_mb * 1.25) + local.metrics_memory_limit) * local.pods}Mi"
      "limits.cpu"             = "${(local.redis_cpu_limit_m + local.metrics_cpu_limit_m) * local.pods}m"
      "pods"                   = "${local.pods + 2}"
      "persistentvolumeclaims" = var.persistence ? "${1 + var.replicas}" : "0"
      "requests.storage"       = var.persistence ? "${ceil(var.memory_mb * 2 / 1024) * (1 + var.replicas)}Gi" : "0"
      "services.loadbalancers" = "0"
      "services.nodeports"     = "0"
    }
  }
}

# Tenants never see each other: only the shared proxy and pods of this namespace reach Redis.
resource "kubernetes_network_policy_v1" "this" {
  metadata {
    name      = "plinth-isolation"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress"]
    ingress {
      from {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = var.ingress_namespace }
        }
      }
      from {
        pod_selector {}
      }
      ports {
        port     = "6379"
        protocol = "TCP"
      }
    }
  }
}

resource "random_password" "this" {
  length  = 32
  special = false
}

# The chart reads the password from this secret (auth.existingSecret), so it never enters the GitOps repo.
resource "kubernetes_secret_v1" "auth" {
  metadata {
    name      = "redis-${var.deployment_id}"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = local.labels
  }
  data = {
    "redis-password" = random_password.this.result
  }
}

resource "aws_route53_record" "this" {
  zone_id = var.dns_zone_id
  name    = local.host
  type    = "CNAME"
  ttl     = 300
  records = [var.ingress_hostname]
}
