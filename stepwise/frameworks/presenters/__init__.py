"""What the framework pages show, prepared from objects already loaded: templates never query
or decide, and everything here is tested without a database."""
