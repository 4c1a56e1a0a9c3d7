"""fabric (Orders, OMS v1) door: the vendor's JSON shapes and their pure translation."""
