# BYOC: the dedicated stack, built in the customer's own AWS account. Plinth assumes the role the customer
# created for it (their trust policy names Plinth's account and requires the ExternalId); the DNS name stays in
# Plinth's zone, through the root's default aws provider. The role ARN is per organization, which is why this
# provider configuration lives here and not in the generated root.
provider "aws" {
  alias  = "customer"
  region = var.region
  assume_role {
    role_arn     = var.account_ref
    external_id  = var.external_id
    session_name = "plinth-${substr(var.deployment_id, 0, 8)}"
  }
  default_tags {
    tags = {
      "plinth.dev/deployment" = var.deployment_id
      "plinth.dev/managed-by" = "plinth"
    }
  }
}

module "redis" {
  source = "../redis-dedicated"
  providers = {
    aws        = aws.customer
    aws.dns    = aws
    kubernetes = kubernetes
  }
  deployment_id    = var.deployment_id
  deployment_name  = var.deployment_name
  org_id           = var.org_id
  region           = var.region
  plan             = var.plan
  redis_version    = var.redis_version
  memory_mb        = var.memory_mb
  replicas         = var.replicas
  persistence      = var.persistence
  dns_zone_id      = var.dns_zone_id
  dns_domain       = var.dns_domain
  argocd_namespace = var.argocd_namespace
  argocd_role_arn  = var.argocd_role_arn
  allowed_cidrs    = var.allowed_cidrs
}
