/// A binary min-heap: ``KernelTimer``'s pending deadlines, earliest first.
///
///     var heap = DeadlineHeap<Int>()
///     for d in [30, 10, 20] { heap.insert(d) }
///     heap.removeFirst()      // 10
struct DeadlineHeap<Element: Comparable> {
    private var elements: [Element] = []

    var first: Element? { elements.first }
    var count: Int { elements.count }

    mutating func insert(_ element: Element) {
        elements.append(element)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard elements[child] < elements[parent] else { break }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func removeFirst() -> Element {
        let first = elements[0]
        let last = elements.removeLast()
        guard !elements.isEmpty else { return first }
        elements[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < elements.count else { break }
            let right = left + 1
            let smaller = right < elements.count && elements[right] < elements[left] ? right : left
            guard elements[smaller] < elements[parent] else { break }
            elements.swapAt(smaller, parent)
            parent = smaller
        }
        return first
    }
}
