"""Loading and validating the YAML files operators and moderators write.

``yamldoc`` parses YAML and remembers the line of every value, ``problems`` turns
validation errors into ``Problem`` rows that name the path in the file, and
``kinds`` knows which kinds of file exist and how to check each one.
"""
