package database

import "database/sql"

// Strings reads rows of one text column into a slice and closes them,
// returning the first error of the scan or of the rows.
func Strings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
