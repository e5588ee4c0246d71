// Start GOV.UK Frontend's components (error summary focus, notification banner, navigation).
import { initAll } from '../govuk-frontend/govuk-frontend.min.js'

initAll()
