"""Results without a database: tracking codes, tagged links, importers of ad/analytics/CRM exports, matching rows to codes, periods and aggregation."""
