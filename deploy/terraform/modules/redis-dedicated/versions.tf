terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
      # aws: where the cluster lives; aws.dns: Plinth's account, which owns the DNS zone.
      configuration_aliases = [aws.dns]
    }
    kubernetes = { source = "hashicorp/kubernetes", version = "~> 2.23" }
    random     = { source = "hashicorp/random", version = "~> 3.5" }
  }
}
