# Dedicated tier: a cluster of its own, registered with Argo CD so the ApplicationSet can deploy Redis into it,
# reached through a network load balancer under Plinth's DNS name.
locals {
  name      = "plinth-${var.deployment_id}"
  namespace = "plinth-${var.deployment_id}"
  host      = "${var.deployment_name}-${substr(var.deployment_id, 0, 8)}.${var.region}.${var.dns_domain}"
  # The chart exposes Redis on this node port (values: master.service.nodePorts.redis).
  node_port = 30379
  tags = {
    "plinth.dev/deployment"    = var.deployment_id
    "plinth.dev/org"           = var.org_id
    "plinth.dev/plan"          = var.plan
    "plinth.dev/redis-version" = var.redis_version
  }
}

module "cluster" {
  source          = "../cluster"
  name            = local.name
  node_memory_mb  = var.memory_mb
  node_count      = 1 + var.replicas
  argocd_role_arn = var.argocd_role_arn
  tags            = local.tags
}

# The new cluster's API, for the objects that must exist before Argo CD installs Redis. The token comes from this
# module's aws provider: Plinth's account for the dedicated tier, the assumed customer role for BYOC (the
# cluster's creator is its admin). No aws CLI on the workers; a token lasts 15 minutes, longer than this
# module's Kubernetes work.
data "aws_eks_cluster_auth" "this" {
  name = module.cluster.name
}

provider "kubernetes" {
  alias                  = "tenant"
  host                   = module.cluster.endpoint
  cluster_ca_certificate = base64decode(module.cluster.ca_certificate)
  token                  = data.aws_eks_cluster_auth.this.token
}

resource "kubernetes_namespace_v1" "this" {
  provider = kubernetes.tenant
  metadata {
    name   = local.namespace
    labels = { "app.kubernetes.io/managed-by" = "plinth", "plinth.dev/deployment" = var.deployment_id }
  }
}

resource "random_password" "this" {
  length  = 32
  special = false
}

resource "kubernetes_secret_v1" "auth" {
  provider = kubernetes.tenant
  metadata {
    name      = "redis-${var.deployment_id}"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }
  data = {
    "redis-password" = random_password.this.result
  }
}

# Argo CD learns about clusters from labelled secrets in its namespace (declarative cluster setup).
resource "kubernetes_secret_v1" "argocd_cluster" {
  metadata {
    name      = "cluster-${local.name}"
    namespace = var.argocd_namespace
    labels    = { "argocd.argoproj.io/secret-type" = "cluster" }
  }
  data = {
    name   = local.name
    server = module.cluster.endpoint
    config = jsonencode({
      awsAuthConfig   = { clusterName = module.cluster.name, roleARN = var.argocd_role_arn }
      tlsClientConfig = { caData = module.cluster.ca_certificate }
    })
  }
}

resource "aws_lb" "redis" {
  name               = substr("plinth-${replace(var.deployment_id, "-", "")}", 0, 32)
  load_balancer_type = "network"
  subnets            = module.cluster.subnet_ids
  tags               = local.tags
}

resource "aws_lb_target_group" "redis" {
  name        = substr("redis-${replace(var.deployment_id, "-", "")}", 0, 32)
  port        = local.node_port
  protocol    = "TCP"
  target_type = "instance"
  vpc_id      = module.cluster.vpc_id
  tags        = local.tags
}

# An NLB with instance targets keeps the client's address: the nodes must accept the node port from the
# clients (and from the NLB's health checks, inside the VPC). Redis itself requires TLS and the password.
resource "aws_vpc_security_group_ingress_rule" "redis" {
  for_each          = toset(var.allowed_cidrs)
  security_group_id = module.cluster.security_group_id
  description       = "Redis through the NLB (plinth-${var.deployment_id})"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = local.node_port
  to_port           = local.node_port
  tags              = local.tags
}

resource "aws_lb_listener" "redis" {
  load_balancer_arn = aws_lb.redis.arn
  port              = 6379
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.redis.arn
  }
}

resource "aws_autoscaling_attachment" "redis" {
  autoscaling_group_name = module.cluster.node_group_asg_name
  lb_target_group_arn    = aws_lb_target_group.redis.arn
}

resource "aws_route53_record" "this" {
  provider = aws.dns
  zone_id  = var.dns_zone_id
  name     = local.host
  type     = "CNAME"
  ttl      = 300
  records  = [aws_lb.redis.dns_name]
}
