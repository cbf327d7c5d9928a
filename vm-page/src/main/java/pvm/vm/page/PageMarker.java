package pvm.vm.page;

/** {@code pmap_marker}: the letter the page map shows for a page with the given flag byte. */
@FunctionalInterface
public interface PageMarker {

    char marker(int pageFlags);
}
