"""pytest fixtures the nodes plugin offers every test: simulated ZAP nodes and a small
local target site. (Filled in by the nodes plugin.)"""
