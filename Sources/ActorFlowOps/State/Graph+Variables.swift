import ActorFlowCore

extension Graph {
    /// A variable whose initializer assigns `initialValue` (a Swift scalar, a nested array or an `NDArray`).
    ///
    ///     let w = g.variable(initialValue: [[0.1, 0.2], [0.3, 0.4]] as [[Float]], name: "w")
    ///     w.shape   // (2, 2)
    ///
    /// Creates the ops `"<name>"` (`VariableV2`), `"<name>/initial_value"` (`Const`) and `"<name>/Assign"`,
    /// and adds the variable to ``globalVariablesCollection``. A ragged nested array makes the variable
    /// invalid (its initial value's op reports the error).
    public func variable(initialValue: some NDArrayConvertible, name: String? = nil) -> Variable {
        let array = try? initialValue.makeNDArray()
        let dtype = array?.dtype ?? type(of: initialValue).defaultDType
        return makeVariable(dtype: dtype, shape: array?.shape ?? .unknown, name: name) { local in
            constant(initialValue, name: local + "/initial_value")
        }
    }

    /// A variable whose initializer assigns the value of `initialValue` (computed when the initializer runs).
    ///
    ///     let v = g.variable(initialValue: g.zeros(shape: [3]), name: "v")
    public func variable(initialValue: Tensor, name: String? = nil) -> Variable {
        makeVariable(dtype: initialValue.dtype, shape: initialValue.shape, name: name) { _ in initialValue }
    }

    /// Assigns `value` to `variable` and returns the new value (TensorFlow's `Assign`).
    ///
    ///     let reset = g.assign(cnt, g.constant(Float(0)))
    ///
    /// `value` must have the variable's dtype and a shape compatible with its static shape (else the op is
    /// invalid); at run time, an initialized variable's shape must equal `value`'s ("Assign requires shapes
    /// of both tensors to match. lhs shape= [2] rhs shape= [3]").
    public func assign(_ variable: Variable, _ value: Tensor, name: String? = nil) -> Tensor {
        assignOp(variable.op, value, name: name)
    }

    /// Adds `value` to `variable` atomically and returns the new value (TensorFlow's `AssignAdd`).
    ///
    ///     let inc = g.assignAdd(cnt, g.constant(Float(1)))   // run twice: 1.0, then 2.0
    ///
    /// `value` must have the variable's arithmetic dtype and exactly its shape (no broadcasting, as in
    /// TensorFlow). An uninitialized variable fails the run with "Attempting to use uninitialized value …".
    public func assignAdd(_ variable: Variable, _ value: Tensor, name: String? = nil) -> Tensor {
        updateOp("AssignAdd", .add, variable, value, name: name)
    }

    /// Subtracts `value` from `variable` atomically and returns the new value (TensorFlow's `AssignSub`).
    ///
    ///     let dec = g.assignSub(cnt, g.constant(Float(1)))
    public func assignSub(_ variable: Variable, _ value: Tensor, name: String? = nil) -> Tensor {
        updateOp("AssignSub", .sub, variable, value, name: name)
    }

    /// An op that runs every variable's initializer (TensorFlow's `global_variables_initializer`, named
    /// `"init"`); with no variables, an op that does nothing.
    ///
    ///     try session.run(g.globalVariablesInitializer())
    public func globalVariablesInitializer(name: String? = nil) -> Operation {
        group(collection(Graph.variableInitializersCollection), name: name ?? "init")
    }

    /// An op that runs the initializers of `variables` (TensorFlow's `variables_initializer`).
    ///
    ///     try session.run(g.variablesInitializer([w, b]))
    public func variablesInitializer(_ variables: [Variable], name: String? = nil) -> Operation {
        group(variables.map(\.initializer), name: name ?? "init")
    }

    /// Every variable of the graph, in creation order (TensorFlow's `global_variables()`).
    public func globalVariables() -> [Variable] {
        // Pair each variable with its initializer by name: two threads may add variables at once, so the two
        // collections need not interleave in the same order.
        var initializers: [String: Operation] = [:]
        for op in collection(Graph.variableInitializersCollection) {
            if case .string(let variable)? = op.attributes["variable"] { initializers[variable] = op }
        }
        return collection(Graph.globalVariablesCollection).compactMap { op in
            initializers[op.name].map { Variable(op: op, initializer: $0, initialValue: $0.inputs[0]) }
        }
    }

    private func makeVariable(
        dtype: DType, shape: TensorShape, name: String?, initialValue: (String) -> Tensor
    ) -> Variable {
        let op = addOperation(
            type: "VariableV2", name: name ?? "Variable",
            attributes: ["dtype": .dtype(dtype), "shape": .shape(shape)], outputs: [(dtype, shape)],
            isStateful: true,
            kernel: Kernel(isExpensive: false) { ctx in
                guard let value = ctx.state.variableValue(ctx.op.id) else {
                    throw KernelError("Attempting to use uninitialized value \(ctx.op.name)")
                }
                return [value]
            })
        // Child ops are named after the variable's unique name, relative to the current name scope.
        let scope = currentNameScope
        let local = scope.isEmpty ? op.name : String(op.name.dropFirst(scope.count + 1))
        let value = initialValue(local)
        let initializer = assignOp(op, value, name: local + "/Assign").op
        addToCollection(Graph.globalVariablesCollection, op)
        addToCollection(Graph.variableInitializersCollection, initializer)
        return Variable(op: op, initializer: initializer, initialValue: value)
    }

    /// An `Assign` to the variable op `variable`.
    private func assignOp(_ variable: Operation, _ value: Tensor, name: String?) -> Tensor {
        let type = "Assign"
        let problem = VariableRule.check(type, variable, value)
        let (id, shape, dtype) = (variable.id, variable.outputShapes[0], variable.outputDTypes[0])
        return singleOutputOp(
            type: type, name: name, inputs: [value],
            attributes: ["T": .dtype(dtype), "variable": .string(variable.name), "validate_shape": .bool(true)],
            dtype: dtype, shape: shape.merged(with: value.shape) ?? shape, error: problem,
            isStateful: true,
            kernel: Kernel(isExpensive: false) { ctx in
                [try VariableRule.assign(ctx.state, id, shape, ctx.inputs[0])]
            })
    }

    private func updateOp(
        _ type: String, _ op: BinaryOperator, _ variable: Variable, _ value: Tensor, name: String?
    ) -> Tensor {
        let problem =
            VariableRule.check(type, variable.op, value)
            ?? (variable.dtype.isNumeric ? nil : "\(type): dtype \(variable.dtype) is not supported")
        let (id, variableName) = (variable.op.id, variable.name)
        return singleOutputOp(
            type: type, name: name, inputs: [value],
            attributes: ["T": .dtype(variable.dtype), "variable": .string(variable.name)],
            dtype: variable.dtype, shape: variable.shape, error: problem, isStateful: true,
            kernel: Kernel { ctx in [try VariableRule.update(ctx.state, id, variableName, type, op, ctx.inputs[0])] })
    }
}

/// Shared checks and the atomic update of variable ops.
enum VariableRule {
    /// The build-time problem of assigning `value` to the variable op `variable`, if any.
    static func check(_ type: String, _ variable: Operation, _ value: Tensor) -> String? {
        let (dtype, shape) = (variable.outputDTypes[0], variable.outputShapes[0])
        if value.dtype != dtype {
            return "\(type): Input 'value' of '\(type)' Op has type \(value.dtype) that does not match type "
                + "\(dtype) of variable '\(variable.name)'."
        }
        if !shape.isCompatible(with: value.shape) {
            return "\(type): shapes must be equal, but are \(shape) for variable '\(variable.name)' and "
                + "\(value.shape) for the value"
        }
        return nil
    }

    /// The `Assign` kernel: sets variable `id` to `new` when its shape fits, and returns it.
    static func assign(_ state: SessionState, _ id: Int, _ shape: TensorShape, _ new: NDArray) throws -> NDArray {
        try replace(state, id) { old throws(KernelError) in
            let fits = shape.isCompatible(with: new.dimensions) && (old == nil || old?.dimensions == new.dimensions)
            let (lhs, rhs) = (old?.dimensions.tfDims ?? shape.tfBracketDescription, new.dimensions.tfDims)
            try kernelRequire(
                fits, "Assign requires shapes of both tensors to match. lhs shape= \(lhs) rhs shape= \(rhs)")
            return new
        }
    }

    /// The `AssignAdd`/`AssignSub` kernel: combines variable `id` with `delta` and returns the new value.
    static func update(
        _ state: SessionState, _ id: Int, _ variableName: String, _ type: String, _ op: BinaryOperator,
        _ delta: NDArray
    ) throws -> NDArray {
        try replace(state, id) { old throws(KernelError) in
            guard let old else { throw KernelError("Attempting to use uninitialized value \(variableName)") }
            try kernelRequire(
                old.dimensions == delta.dimensions,
                "Cannot update variable with shape \(old.dimensions.tfDims) using a Tensor with shape "
                    + "\(delta.dimensions.tfDims), shapes must be equal.")
            do {
                return try op.apply(old, delta)
            } catch let error as KernelError {
                throw error
            } catch {
                throw KernelError("\(type): \(error)")
            }
        }
    }

    /// Replaces the value of variable `id` with `update(old)` under the state's lock and returns it.
    private static func replace(
        _ state: SessionState, _ id: Int, _ update: (NDArray?) throws(KernelError) -> NDArray
    ) throws(KernelError) -> NDArray {
        do throws(SessionError) {
            return try state.updateVariable(id) { old throws(SessionError) -> NDArray in
                do throws(KernelError) { return try update(old) } catch { throw .invalidValue(reason: error.message) }
            }
        } catch .invalidValue(let reason) {
            throw KernelError(reason)
        } catch {
            throw KernelError(error.description)
        }
    }
}
