"""The gRPC OrderService: server, servicer, repository and storage; imports no adapter routes."""
