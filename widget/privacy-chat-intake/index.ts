import { PrivacyChatIntake } from "./privacy-chat-intake.js";

export { PrivacyChatIntake };
export type { PrivacyChatRequestCreatedDetail } from "./privacy-chat-intake.js";

if (!customElements.get("privacy-chat-intake")) customElements.define("privacy-chat-intake", PrivacyChatIntake);
