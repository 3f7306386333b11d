// Placeholder: the KPL aggregation codec lands here (aggregate / deaggregate).
export {};
