// Sample project for the report parsers: passing, failing, skipped tests and subtests on purpose.
package sample

import (
	"testing"
	"time"
)

func TestAdd(t *testing.T) {
	if Add(1, 2) != 3 {
		t.Fatal("1+2 should be 3")
	}
}

func TestAddWrong(t *testing.T) {
	if got := Add(2, 2); got != 5 {
		t.Errorf("Add(2, 2) = %d, want %d", got, 5)
	}
}

func TestSkipped(t *testing.T) {
	t.Skip("not on this platform")
}

func TestTable(t *testing.T) {
	cases := []struct {
		name string
		a, b int
		want int
	}{{"one", 1, 1, 2}, {"two", 2, 2, 5}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Add(c.a, c.b); got != c.want {
				t.Errorf("got %d\nwant %d", got, c.want)
			}
		})
	}
}

func TestSlow(t *testing.T) {
	time.Sleep(30 * time.Millisecond)
}
