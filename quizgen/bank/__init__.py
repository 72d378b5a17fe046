"""Reading a bank: YAML with marks (marks), field checkers (check), records
(records), the folder as a whole (load), sources and quote verification
(sources), facts and templates. Pure: nothing here writes."""
