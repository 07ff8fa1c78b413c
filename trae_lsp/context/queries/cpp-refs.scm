; Identifiers whose uses find_usages reports (parsed on demand, not at index time).
(identifier) @reference
(type_identifier) @reference
(field_identifier) @reference
(namespace_identifier) @reference
