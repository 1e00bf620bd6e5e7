"""Prompt builders: render task records into chat messages in EHRMind's answer format."""
