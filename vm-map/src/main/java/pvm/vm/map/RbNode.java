package pvm.vm.map;

/**
 * {@code rbnode_t} of Phoenix's {@code lib/rb.h}: the links a node of an {@link RbTree} carries in
 * itself (the tree is intrusive: linking a node allocates nothing).
 *
 * @param <N> the node type itself
 */
abstract class RbNode<N extends RbNode<N>> {

    N parent;
    N left;
    N right;
    boolean red;
}
