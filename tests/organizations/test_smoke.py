def test_tree_fixture_builds_lineage(tree):
    assert tree.gl1.lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/"
