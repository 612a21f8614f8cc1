package ent

import "entgo.io/ent/dialect"

// Bound returns a client like c (its hooks and interceptors) whose
// statements go to drv: for example an open transaction's.
func (c *Client) Bound(drv dialect.Driver) *Client {
	cfg := c.config
	cfg.driver = drv
	client := &Client{config: cfg}
	client.init()
	return client
}
