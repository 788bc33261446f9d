"""The newsroom's inbox: items from regional sources (feeds, ninjs, folders of seed
files), fetched by background jobs, stored once, grouped by story and linked to the
catalog, waiting for an editor to turn them into draft articles."""
