# Provider versions and checksums for the generated roots (Plinth copies this file into every working
# directory before init): pins exact versions and lets init link providers from the plugin cache.
# Regenerate after changing a version constraint: see docs/real-engines.md, "Provider versions".

# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.100.0"
  constraints = "~> 5.40"
  hashes = [
    "h1:edXOJWE4ORX8Fm+dpVpICzMZJat4AX0VRCAy/xkcOc0=",
  ]
}
