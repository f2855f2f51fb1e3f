"""The data layer: the YAML files of a data folder read safely, validated into the
typed model, with every problem as ``file:line``; and the JSON Schemas of the files."""
