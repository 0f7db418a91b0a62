"""What a screen reader hears when a view changes without a new page.

A filter or search rewrites the URL and the page is rendered again from it, so a
live region inside the page would be a new element each time, and a new live
region is not read out. assets/announce.js keeps one polite live region outside
the page instead and, when the page at the same path is rendered again, reads
out the text of the elements marked with this attribute (a result count, or the
"nothing matches" message in its place).
"""

ANNOUNCE = "data-announce"
