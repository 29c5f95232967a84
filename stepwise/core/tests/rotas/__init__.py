"""A made-up app, installed only by a test, that adds pages to the navigation and the home
page from its own AppConfig.ready(), as any new app would, without core naming it."""
